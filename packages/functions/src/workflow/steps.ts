/**
 * The saga's Lambda tasks (one function each, see Topology.WORKFLOW). The rules live in core; a
 * thrown SagaStepError reaches Step Functions as the error its `Catch` handles.
 */
import * as Saga from "@awsomepets/core/saga";
import type * as Order from "@awsomepets/core/order";

type Input = Order.WorkflowInput;

export const reserveInventory = async (input: Input) => Saga.reserveInventory(input);
export const processPayment = async (input: Input) => Saga.processPayment(input);
export const completeOrder = async (input: Input) => Saga.completeOrder(input);
export const releaseInventory = async (input: Saga.Compensation) => Saga.releaseInventory(input);
export const processRefund = async (input: Saga.Compensation) => Saga.processRefund(input);
export const cancelOrder = async (input: Saga.Compensation) => Saga.cancelOrder(input);
