import os

from openai import OpenAI

MODEL = os.getenv("OPENAI_MODEL", "gpt-4o-mini")
client = OpenAI()
client.chat.completions.create(model=MODEL, messages=[])
