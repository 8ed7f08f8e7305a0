import vertexai
from vertexai.generative_models import GenerativeModel

vertexai.init(project="acme", location="europe-west4")
model = GenerativeModel("gemini-1.5-pro-001")
