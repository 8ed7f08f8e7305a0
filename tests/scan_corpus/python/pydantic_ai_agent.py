from pydantic_ai import Agent

agent = Agent("anthropic:claude-3-5-sonnet-latest", system_prompt="Be concise.")
