from groq import Groq

reply = Groq().chat.completions.create(model="llama-3.3-70b-versatile", messages=[])
