from datasets import load_dataset

ultrachat = load_dataset("HuggingFaceH4/ultrachat_200k", split="train_sft")
prefs = load_dataset("meta-llama/Llama-3.1-8B-Instruct-evals", "Llama-3.1-8B-Instruct-evals__mmlu__details")
