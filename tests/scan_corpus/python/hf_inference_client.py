from huggingface_hub import InferenceClient

client = InferenceClient("meta-llama/Llama-3.3-70B-Instruct")
reply = client.chat_completion(messages=[{"role": "user", "content": "hi"}])
