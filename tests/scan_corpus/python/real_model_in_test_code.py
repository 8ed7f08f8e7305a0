from transformers import AutoModelForCausalLM


def test_generates_text():
    model = AutoModelForCausalLM.from_pretrained("openai-community/gpt2")
    assert model.config.n_layer == 12
