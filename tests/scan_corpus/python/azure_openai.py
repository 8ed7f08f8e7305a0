import os

from openai import AzureOpenAI

client = AzureOpenAI(azure_deployment="gpt-4o-mini", api_version="2024-10-21")
reply = client.chat.completions.create(model=os.environ["AZURE_OPENAI_DEPLOYMENT"], messages=[])
