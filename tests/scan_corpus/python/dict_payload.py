import requests

payload = {"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}]}
requests.post("https://api.openai.com/v1/chat/completions", json=payload, timeout=30)
