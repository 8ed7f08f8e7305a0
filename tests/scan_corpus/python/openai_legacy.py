import openai

reply = openai.ChatCompletion.create(model="gpt-3.5-turbo", messages=[])
