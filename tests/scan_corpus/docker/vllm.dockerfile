FROM vllm/vllm-openai:v0.6.3
# serves the model named below; see docs/serving.md
CMD ["vllm", "serve", "mistralai/Mixtral-8x7B-Instruct-v0.1", "--tensor-parallel-size", "2"]
