#!/bin/sh
ollama pull llama3.2
ollama run qwen2.5:72b "warm up" > /dev/null
