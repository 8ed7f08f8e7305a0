from transformers import AutoModelForCausalLM

model = AutoModelForCausalLM.from_pretrained("./checkpoints/support-8b-final")
