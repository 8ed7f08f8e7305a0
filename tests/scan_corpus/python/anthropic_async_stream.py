from anthropic import AsyncAnthropic

client = AsyncAnthropic()


async def stream(prompt: str) -> None:
    async with client.messages.stream(model="claude-3-5-haiku-latest", max_tokens=512, messages=[]) as events:
        async for text in events.text_stream:
            print(text, end="")
