import torch
from diffusers import DiffusionPipeline, StableDiffusionXLPipeline

base = StableDiffusionXLPipeline.from_pretrained(
    "stabilityai/stable-diffusion-xl-base-1.0", torch_dtype=torch.float16
)
large = DiffusionPipeline.from_pretrained("stabilityai/stable-diffusion-3.5-large")
