# titleforest: build with the same Debian toolchain as `npm start`, then serve the static site.
#   docker build -t titleforest .
#   docker run --rm -p 8080:8080 titleforest      -> http://127.0.0.1:8080/
FROM debian:bookworm-slim AS build
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      ca-certificates nodejs npm cmake g++ make emscripten libeigen3-dev nlohmann-json3-dev doctest-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN rm -rf build node_modules web/lib/wasm && bash scripts/setup.sh start

FROM debian:bookworm-slim
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /site
COPY --from=build /src/web ./web
COPY --from=build /src/models ./models
COPY --from=build /src/node_modules/@e965 ./node_modules/@e965
COPY --from=build /src/scripts/serve.mjs ./scripts/serve.mjs
COPY --from=build /src/package.json ./package.json
ENV HOST=0.0.0.0 PORT=8080
EXPOSE 8080
CMD ["node", "scripts/serve.mjs"]
