from langchain_anthropic import ChatAnthropic
from langchain_openai import ChatOpenAI

fast = ChatOpenAI(model="gpt-4o-mini", temperature=0)
careful = ChatAnthropic(model_name="claude-3-opus-20240229")
