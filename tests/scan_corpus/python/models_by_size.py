import sys

from transformers import AutoModelForCausalLM

MODELS = {
    "small": "Qwen/Qwen2.5-7B-Instruct",
    "large": "Qwen/Qwen2.5-72B-Instruct",
}
model = AutoModelForCausalLM.from_pretrained(MODELS[sys.argv[1]])
