import argparse
import os

from openai import OpenAI
from transformers import AutoModel

parser = argparse.ArgumentParser()
parser.add_argument("--model_name_or_path", required=True)
args = parser.parse_args()
model = AutoModel.from_pretrained(args.model_name_or_path)
OpenAI().chat.completions.create(model=os.environ["CHAT_MODEL"], messages=[])
