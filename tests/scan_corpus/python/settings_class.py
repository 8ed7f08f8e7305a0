from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    openai_model: str = "gpt-4o-mini"
    embedding_model: str = "text-embedding-3-large"
    timeout: int = 30
