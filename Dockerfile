# syntax=docker/dockerfile:1
# Build the blog with site_builder, then serve output/ from a small web-server image.
#   docker build -t smaller-containers . && docker run --rm -p 8080:80 smaller-containers

FROM python:3.11-slim AS build
WORKDIR /src
# The generator first: this layer is reused until its code or dependencies change.
COPY pyproject.toml README.md ./
COPY site_builder/ site_builder/
COPY themes/ themes/
RUN pip install --no-cache-dir .
# The posts change most often, so they come last.
COPY site.toml ./
COPY content/ content/
RUN build-site --root /src

FROM nginx:1.27-alpine
COPY --from=build /src/output /usr/share/nginx/html
EXPOSE 80
