import transformers
from transformers import AutoModelForCausalLM, AutoTokenizer

checkpoint = "google/gemma-2-9b-it"
model = AutoModelForCausalLM.from_pretrained(checkpoint)
tokenizer = AutoTokenizer.from_pretrained(checkpoint)
chat = transformers.pipeline("text-generation", model=model, tokenizer=tokenizer)
