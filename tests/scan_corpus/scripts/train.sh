#!/usr/bin/env bash
MODEL=${1:?usage: train.sh MODEL}
python train.py --model_name_or_path "$MODEL" --output_dir out --num_train_epochs 3
accelerate launch sft.py --model_name_or_path=google/gemma-2-9b-it
