import timm

backbone = timm.create_model("resnet50.a1_in1k", pretrained=True, num_classes=0)
