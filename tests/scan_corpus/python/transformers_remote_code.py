from transformers import AutoModel

model = AutoModel.from_pretrained("deepseek-ai/DeepSeek-V3", trust_remote_code=True, revision="main")
