from huggingface_hub import hf_hub_download, snapshot_download

config_path = hf_hub_download(repo_id="microsoft/Phi-3-mini-4k-instruct", filename="config.json")
weights = snapshot_download("deepseek-ai/DeepSeek-R1", allow_patterns=["*.safetensors"])
