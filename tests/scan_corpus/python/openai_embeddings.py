from openai import OpenAI

EMBEDDINGS = "text-embedding-3-small"
vectors = OpenAI().embeddings.create(model=EMBEDDINGS, input=["a", "b"])
