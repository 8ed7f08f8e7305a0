import tiktoken
from transformers import AutoTokenizer

tokenizer = AutoTokenizer.from_pretrained("hf-internal-testing/llama-tokenizer")
encoding = tiktoken.encoding_for_model("gpt-4o")
tokens = len(encoding.encode("hello"))
