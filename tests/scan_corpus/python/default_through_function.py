from langchain_openai import ChatOpenAI

DEFAULT = "gpt-4o-mini"


def make_chat(model: str = DEFAULT) -> ChatOpenAI:
    return ChatOpenAI(model=model, temperature=0)
