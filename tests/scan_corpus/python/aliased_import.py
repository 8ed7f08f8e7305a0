from sentence_transformers import SentenceTransformer as Encoder
from transformers import pipeline as make_pipeline

encoder = Encoder("BAAI/bge-small-en-v1.5")
classifier = make_pipeline("text-classification", "distilbert/distilbert-base-uncased-finetuned-sst-2-english")
