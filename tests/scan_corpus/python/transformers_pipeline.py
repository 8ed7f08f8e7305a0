from transformers import pipeline

generator = pipeline("text-generation", model="Qwen/Qwen2.5-7B-Instruct")
summarizer = pipeline("summarization", "facebook/bart-large-cnn")
default_sentiment = pipeline("sentiment-analysis")
