from langchain.chat_models import init_chat_model

primary = init_chat_model("openai:gpt-4o")
local = init_chat_model("llama3.1", model_provider="ollama")
