from transformers import AutoModelForCausalLM


def load(size: str):
    return AutoModelForCausalLM.from_pretrained(f"meta-llama/Llama-3.1-{size}-Instruct")
