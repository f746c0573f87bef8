# The API and the worker (`npm run serve`); also runs the simulator with another command.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production

COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

COPY . .
# The webhook spool lives here and must survive restarts: compose mounts a volume on it.
RUN mkdir -p /app/.data && chown node:node /app/.data
USER node

EXPOSE 3000
CMD ["npm", "run", "serve"]
