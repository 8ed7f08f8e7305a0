from transformers import AutoModelForTokenClassification

ner = AutoModelForTokenClassification.from_pretrained("acme-ai/finance-ner-bert")
