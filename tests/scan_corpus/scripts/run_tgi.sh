#!/usr/bin/env bash
MODEL_ID=HuggingFaceH4/zephyr-7b-beta
docker run --gpus all -p 8080:80 ghcr.io/huggingface/text-generation-inference:2.4 \
    --model-id "$MODEL_ID" --max-input-length 4096
