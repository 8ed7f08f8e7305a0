from dataclasses import dataclass

from transformers import AutoModelForCausalLM


@dataclass
class TrainConfig:
    base_model: str = "meta-llama/Llama-3.2-1B-Instruct"
    learning_rate: float = 2e-5


cfg = TrainConfig()
model = AutoModelForCausalLM.from_pretrained(cfg.base_model)
