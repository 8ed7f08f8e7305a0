from transformers import AutoModelForCausalLM

ORG = "Qwen"
NAME = "Qwen2.5-7B-Instruct"
model = AutoModelForCausalLM.from_pretrained(f"{ORG}/{NAME}")
