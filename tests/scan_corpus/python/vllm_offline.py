from vllm import LLM, SamplingParams

llm = LLM(model="meta-llama/Llama-3.3-70B-Instruct", tensor_parallel_size=4)
small = LLM("Qwen/Qwen2.5-72B-Instruct")
params = SamplingParams(temperature=0.2)
