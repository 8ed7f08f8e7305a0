PRICES_PER_MTOK = {"gpt-4o": 2.5, "gpt-4o-mini": 0.15, "claude-3-5-sonnet-20241022": 3.0}


def cost(model: str, tokens: int) -> float:
    return PRICES_PER_MTOK[model] * tokens / 1e6
