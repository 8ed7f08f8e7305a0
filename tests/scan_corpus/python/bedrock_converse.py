import boto3

runtime = boto3.client("bedrock-runtime")
reply = runtime.converse(modelId="anthropic.claude-3-5-sonnet-20240620-v1:0", messages=[])
