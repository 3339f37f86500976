#!/bin/sh
echo "hello from a small image"
