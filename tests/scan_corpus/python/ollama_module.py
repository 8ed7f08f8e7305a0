import ollama

answer = ollama.chat(model="llama3.1:8b", messages=[{"role": "user", "content": "Why?"}])
story = ollama.generate(model="qwen2.5:7b", prompt="Once upon a time")
