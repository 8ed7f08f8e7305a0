#!/usr/bin/env bash
hf download deepseek-ai/DeepSeek-V3 --include "*.safetensors"
huggingface-cli download tatsu-lab/alpaca --repo-type dataset
echo "downloaded gpt-oss too? no"
