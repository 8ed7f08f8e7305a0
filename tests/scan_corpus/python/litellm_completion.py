import litellm
from litellm import completion

reply = completion(model="anthropic/claude-3-5-haiku-20241022", messages=[{"role": "user", "content": "hi"}])
local = litellm.completion("ollama/llama3.2", messages=[])
