import openai

client = openai.OpenAI()
result = client.responses.create(model="gpt-4.1", input="Summarise the ticket.")
