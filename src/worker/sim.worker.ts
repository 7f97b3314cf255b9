import * as Comlink from 'comlink';
import { createSimApi } from './api';

Comlink.expose(createSimApi());
