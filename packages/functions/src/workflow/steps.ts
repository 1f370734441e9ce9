/**
 * The saga's Lambda tasks (one function each, see Topology.WORKFLOW). The rules live in core; a
 * thrown SagaStepError reaches Step Functions as the error its `Catch` handles. The workflow's input
 * holds only the order's id and amount: the steps that need more read the order's item.
 */
import type * as Order from "@awsomepets/core/orders/request";
import * as Saga from "@awsomepets/core/orders/saga";
import { orderStore } from "../lib/order-store";

type Input = Order.WorkflowInput;
const deps = () => ({ store: orderStore() });

export const reserveInventory = async (input: Input) => Saga.reserveInventory(deps(), input);
export const processPayment = async (input: Input) => Saga.processPayment(deps(), input);
export const completeOrder = async (input: Input) => Saga.completeOrder(deps(), input);
export const releaseInventory = async (input: Saga.Compensation) => Saga.releaseInventory(deps(), input);
export const processRefund = async (input: Saga.Compensation) => Saga.processRefund(deps(), input);
export const cancelOrder = async (input: Saga.Compensation) => Saga.cancelOrder(deps(), input);
