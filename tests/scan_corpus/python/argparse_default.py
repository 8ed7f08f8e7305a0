import argparse

parser = argparse.ArgumentParser()
parser.add_argument("--model", default="gpt-4o", help="chat model")
parser.add_argument("--temperature", type=float, default=0.2)
