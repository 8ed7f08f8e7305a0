from openai import OpenAI


class Assistant:
    def __init__(self, model: str = "o3-mini") -> None:
        self.model = model
        self.client = OpenAI()

    def ask(self, text: str) -> str:
        reply = self.client.chat.completions.create(model=self.model, messages=[])
        return reply.choices[0].message.content
