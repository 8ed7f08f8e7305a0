"""Benchmarks against gpt-4o and claude-3-5-sonnet-20241022 (see the README).

Example: AutoModel.from_pretrained("meta-llama/Llama-3.1-8B-Instruct")
"""

# We used to call ollama.chat(model="llama3.2") here.
BANNER = "Powered by meta-llama/Llama-3.3-70B-Instruct"
print("compare with gpt-4.1 when available")
