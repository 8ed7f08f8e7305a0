from mistralai import Mistral

client = Mistral(api_key="...")
reply = client.chat.complete(model="mistral-large-latest", messages=[])
