from mylib.etl import pipeline

result = pipeline("ingest", model="customer-churn")
