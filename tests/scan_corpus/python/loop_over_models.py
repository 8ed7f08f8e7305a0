import anthropic

CANDIDATES = ["claude-3-5-sonnet-20241022", "claude-3-5-haiku-20241022"]
client = anthropic.Anthropic()
for name in CANDIDATES:
    client.messages.create(model=name, max_tokens=10, messages=[])
