from ollama import Client

client = Client(host="http://localhost:11434")
reply = client.chat(model="mistral", messages=[])
