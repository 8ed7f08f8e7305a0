from transformers import AutoModelForSequenceClassification, AutoTokenizer

MODEL_ID = "mistralai/Mistral-7B-Instruct-v0.3"


def load():
    tokenizer = AutoTokenizer.from_pretrained(MODEL_ID)
    model = AutoModelForSequenceClassification.from_pretrained(MODEL_ID, num_labels=3)
    return tokenizer, model
